window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000001"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "Harbor",
            "indices" : [
              "75",
              "82"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : [],
        "media" : [
          {
            "expanded_url" : "https://x.com/harbour_nurse/status/1600000000000000001/photo/1",
            "indices" : [
              "120",
              "143"
            ],
            "url" : "https://t.co/ph",
            "media_url" : "http://pbs.twimg.com/media/GateA1.jpg",
            "id_str" : "77",
            "id" : "77",
            "media_url_https" : "https://pbs.twimg.com/media/GateA1.jpg",
            "sizes" : {},
            "type" : "photo",
            "display_url" : "pic.x.com/ph"
          }
        ]
      },
      "display_text_range" : [
        "0",
        "102"
      ],
      "favorite_count" : "12",
      "id_str" : "1600000000000000001",
      "truncated" : false,
      "retweet_count" : "30",
      "id" : "1600000000000000001",
      "created_at" : "Sun Mar 01 09:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "The north gate clinic has no more insulin. If anyone can reach us, please come #Harbor https://t.co/ph",
      "lang" : "en",
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://x.com/harbour_nurse/status/1600000000000000001/photo/1",
            "indices" : [
              "120",
              "143"
            ],
            "url" : "https://t.co/ph",
            "media_url" : "http://pbs.twimg.com/media/GateA1.jpg",
            "id_str" : "77",
            "id" : "77",
            "media_url_https" : "https://pbs.twimg.com/media/GateA1.jpg",
            "sizes" : {},
            "type" : "photo",
            "display_url" : "pic.x.com/ph"
          }
        ]
      }
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000002"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "Relay",
            "screen_name" : "relay_desk",
            "indices" : [
              "0",
              "11"
            ],
            "id_str" : "2002",
            "id" : "2002"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "50"
      ],
      "favorite_count" : "0",
      "id_str" : "1600000000000000002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000002",
      "created_at" : "Sun Mar 01 12:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "broken 
: "@relay_desk thank you, we recieved the water &lt;3",
      "lang" : "en",
      "in_reply_to_status_id_str" : "1500000000000000004",
      "in_reply_to_status_id" : "1500000000000000004",
      "in_reply_to_user_id_str" : "2002",
      "in_reply_to_screen_name" : "relay_desk"
    }
  }
]
